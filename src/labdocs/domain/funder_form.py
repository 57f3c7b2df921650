"""The Co-operative Councils' Innovation Network's own words, as printed on the application form."""

from __future__ import annotations

from typing import NamedTuple


class Aim(NamedTuple):
    key: str
    title: str
    ccin_says: str


AIMS = (
    Aim(
        "social_partnerships",
        "Social partnerships",
        "We will strengthen the co-operative partnership between citizens, communities, enterprises and "
        "councils, based on a shared sense of responsibility for wellbeing and mutual benefit.",
    ),
    Aim(
        "democratic_engagement",
        "Democratic engagement",
        "We will support the active engagement of the full range of residents in decision making and "
        "priority setting.",
    ),
    Aim(
        "co_production",
        "Co-production",
        "We will develop systems that enable citizens to be equal partners in designing and commissioning "
        "public services and in determining the use of public resources.",
    ),
    Aim(
        "enterprise_social_economy",
        "Enterprise and social economy",
        "We will promote community-based approaches to economic development that focus on supporting the "
        "creation of jobs, social enterprises and other businesses and providing an environment for "
        "cooperative and mutual enterprises to thrive.",
    ),
    Aim(
        "community_leadership",
        "Community leadership and a new role for councillors",
        "We will explore ways for councils to act as a platform for helping the community to contribute to "
        "local outcomes and to rethink the role of councillors as community connectors, brokers and leaders.",
    ),
    Aim(
        "new_models",
        "New models of meeting priority needs",
        "In exploring new ways of meeting the priority needs of our communities we will encourage models, "
        "such as co-operatives and mutual, which give greater influence and voice to staff and users in "
        "designing and commissioning public services and in determining the use of public resources.",
    ),
    Aim(
        "innovation",
        "Innovation",
        "We will embrace innovation in how we work with local communities to drive positive change.",
    ),
    Aim(
        "learning",
        "Learning",
        "We will capture and 'expand' the experience and learning from individual projects and approaches "
        "in order to encourage broader application of co-operative principles within individual member "
        "councils and across the network.",
    ),
)

DECLARATION = (
    "I agree that the final report will clearly show the Co-operative Difference that this project "
    "will deliver."
)

SUMMARY_WORD_LIMIT = 150  # the form's own limit, stated in its question

# The form's questions, used as section headings in the draft and labels in the web form.
QUESTIONS = {
    "lead_organisation": "Organisation leading the project",
    "contact.name": "Lead Councillor or Officer",
    "contact.job_title": "Job Title",
    "contact.phone": "Contact Telephone",
    "contact.email": "Contact Email",
    "title": "Project Title",
    "funding_requested": "How much funding are you applying for?",
    "summary": f"Summary of project idea ({SUMMARY_WORD_LIMIT} words max)",
    "partners": "Which other CCIN members will work on this project?",
    "budget": "Provide a detailed budget of how you will spend the budget and whether you are bringing in "
    "other funding.",
    "idea": "What is your idea and how will you allocate the budget?",
    "workstreams": "Workstreams",
    "outcomes": "What are the outcomes you hope to achieve?",
    "aims": "How does your project support the aims and objectives of the Co-operative Councils "
    "Innovation Network?",
    "walking_the_talk": "Walking the talk",
    "values_and_principles": "How does your project support the CCIN Statement of Values and Principles?",
    "sharing_learning": "How will you share your learning across the Co-operative Councils' Innovation "
    "Network?",
    "co_operative_difference_agreed": "Declaration",
}


WALKING_THE_TALK_LEAD = 'We will demonstrate how CCIN "walks the talk" by:'


class FormQuestion(NamedTuple):
    """One box on the network's web form, in its order: the field it holds, its words, any heading above it."""

    key: str  # the bid field (dotted path) whose answer goes in the box
    question: str  # the form's own words for the box, as the entry export prints them
    heading: str = ""  # the text the form prints above the box (an aim and what the network says of it)
    word_limit: int | None = None


AIMS_QUESTION = QUESTIONS["aims"]

# The form's boxes in the form's order and words (from the network's entry export, "Entry # 510").
FORM = (
    FormQuestion("lead_organisation", QUESTIONS["lead_organisation"]),
    FormQuestion("contact.name", QUESTIONS["contact.name"]),
    FormQuestion("contact.job_title", QUESTIONS["contact.job_title"]),
    FormQuestion("contact.phone", QUESTIONS["contact.phone"]),
    FormQuestion("contact.email", QUESTIONS["contact.email"]),
    FormQuestion("title", QUESTIONS["title"]),
    FormQuestion("funding_requested", QUESTIONS["funding_requested"]),
    FormQuestion("summary", QUESTIONS["summary"], word_limit=SUMMARY_WORD_LIMIT),
    FormQuestion("partners", QUESTIONS["partners"]),
    FormQuestion("budget", QUESTIONS["budget"]),
    FormQuestion("idea", QUESTIONS["idea"]),
    FormQuestion("outcomes", QUESTIONS["outcomes"]),
    *(FormQuestion(f"aims.{aim.key}", "We will do:", f"{aim.title}. CCIN says: {aim.ccin_says}") for aim in AIMS),
    FormQuestion("walking_the_talk", WALKING_THE_TALK_LEAD, "Walking the talk."),
    FormQuestion("values_and_principles", QUESTIONS["values_and_principles"]),
    FormQuestion("sharing_learning", QUESTIONS["sharing_learning"]),
    FormQuestion("co_operative_difference_agreed", DECLARATION),
)
