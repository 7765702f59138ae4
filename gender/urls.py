from django.urls import path

from . import views

app_name = "gender"

urlpatterns = [
    path("<int:year>/", views.key_results, name="key-results"),
    path("<int:year>/<slug:code>/", views.indicator_detail, name="indicator"),
]
