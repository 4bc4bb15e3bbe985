"""Activity-file readers: FIT, GPX, TCX and export archives -> Activity."""
