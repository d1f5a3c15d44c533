"""kguide: plain-language patient guides into an accessible booklet and a narrated audio guide."""
