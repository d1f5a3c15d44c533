"""Per-language and per-country data: the fixed phrases of every output in each language
(strings), and each locale's numbers and formats (emergency and crisis lines, how phone numbers
and dates are written and read). Data only: it imports nothing else from kguide but errors."""
