"""scorecards' pure core: PDF deck → cells → records → DuckDB tables → views. No Dagster here."""

# Bump when a parser change should reach decks parsed before: cached parse results carry it.
PARSER_VERSION = 1
