"""The public pages of the activities app, kept apart from the staff pages:
their own views, forms, URLs and templates
(``activities/templates/activities/public/``): the event pages and registration
(/events/), calls and awards (/calls/, one package), and a member city's public
page in the directory."""
