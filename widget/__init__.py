"""Chat widget for the kommune website: bundle, demo page and the small server that serves them."""
