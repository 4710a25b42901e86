"""Insights URLs: a community's Health page and the Portfolio of all communities."""

from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("c/<slug:slug>/health/", views.health, name="health"),
    path("c/<slug:slug>/health/recompute/", views.health_recompute, name="health_recompute"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("method/", views.method, name="method"),
    path("portfolio.csv", views.portfolio_csv, name="portfolio_csv"),
]
