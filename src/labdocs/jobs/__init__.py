"""RQ workers and jobs: thin wrappers that run the service's render functions in the app's context."""
