from django.urls import path

from hours import xapi_views

app_name = "xapi"

urlpatterns = [path("statements", xapi_views.statements, name="statements")]
