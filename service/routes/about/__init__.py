"""The service describing itself: the home page, VoID, the DCAT-AP catalogue, the release's files and their index,
robots.txt and the sitemap, health and version for operators, and the OpenAPI description."""
