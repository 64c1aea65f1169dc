"""Getting analysts' files into the store: parse, validate, preview, apply, roll back."""
