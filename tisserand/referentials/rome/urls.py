app_name = "rome"

urlpatterns = []
