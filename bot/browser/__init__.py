"""Getting a browser and staying logged in: find Chromium, launch it, keep portal sessions."""
