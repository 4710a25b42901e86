from ninja import NinjaAPI

api = NinjaAPI(title="Cultivate API", version="1")
