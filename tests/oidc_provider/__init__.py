"""A real OpenID Connect provider for the single sign-on tests: django-oauth-toolkit's, served by
gunicorn in its own process with its own database, as a company's provider would be."""
