from django.urls import path

app_name = "communities"
urlpatterns: list = []
