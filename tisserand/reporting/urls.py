app_name = "reporting"

urlpatterns: list = []
