app_name = "accompaniment"

urlpatterns = []
