"""One module per Mimecast policy the instructions can ask for; each function is one rule."""
