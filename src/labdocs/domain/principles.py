"""The network's Statement of Values and Principles, as it publishes them on every funded project's page.

These are the network's own words from its project pages (the "Principles met" list), not the application
form's shorter wording of the aims: a published report or project page quotes the published text. One slip
on the network's pages is mended here ("…to staff and users. in designing…" loses its stray full stop).
"""

from __future__ import annotations

from typing import NamedTuple


class Principle(NamedTuple):
    key: str
    title: str
    text: str
    points: tuple[str, ...] = ()  # the "As a membership organisation" statement lists its own points


PRINCIPLES = (
    Principle("social_partnerships", "Social partnerships",
              "We will strengthen the co-operative partnership between citizens, communities, enterprises and "
              "councils, based on a shared sense of responsibility for wellbeing and mutual benefit."),
    Principle("democratic_engagement", "Democratic engagement",
              "We will support the active engagement of the full range of residents in decision making and "
              "priority setting."),
    Principle("co_production", "Co-production",
              "We will develop systems that enable citizens to be equal partners in designing and commissioning "
              "public services and in determining the use of public resources."),
    Principle("enterprise_social_economy", "Enterprise and social economy",
              "We will promote community-based approaches to economic development that focus on supporting the "
              "creation of jobs, social enterprises and other businesses and providing an environment for "
              "co-operative and mutual enterprises to thrive."),
    Principle("community_leadership", "Community leadership and a new role for councillors",
              "We will explore ways for councils to act as a platform for helping the community to contribute to "
              "local outcomes, and to re-think the role of councillors as community connectors, brokers and "
              "leaders."),
    Principle("new_models", "New models of meeting priority needs",
              "In exploring new ways of meeting the priority needs of our communities we will encourage models, "
              "such as co-operatives and mutuals, which give greater influence and voice to staff and users in "
              "designing and commissioning public services and in determining the use of public resources."),
    Principle("innovation", "Innovation",
              "We will embrace innovation in how we work with local communities to drive positive change."),
    Principle("learning", "Learning",
              "We will capture and ‘expand’ the experience and learning from individual projects and approaches "
              "in order to encourage broader application of co-operative principles within individual member "
              "Councils and across the Network."),
    Principle("social_value", "Social value",
              "We will support the development of a framework and criteria for social value, giving substance to "
              "the concept and supporting Councils with the tools to ensure better local social and economic "
              "outcomes."),
    Principle("membership", "As a membership organisation",
              "As a membership organisation, we will make this statement of our principles operational by:",
              ("Co-operation among members: Our members work together to help each other implement our values, "
               "sharing experiences and learning.",
               "Openness of membership: Full, Associate and Affiliate Membership is open to any qualifying Council, "
               "organisation or individual who shares our values and is committed to putting them into action.",
               "Co-production of the Network’s work: Members help shape the Network’s work programme and the "
               "content of events and written products.",
               "Action-focused: The network is a vehicle for helping councils translate co-operative values and "
               "principles into policy and practice.",
               "Membership-based: The network is majority funded by modest membership subscriptions from its "
               "member Councils, Associates and Affiliates.",
               "Non-party-political: Members share the belief that working co-operatively within and across "
               "communities holds the key to tackling today’s challenges.")),
)
BY_KEY = {principle.key: principle for principle in PRINCIPLES}
