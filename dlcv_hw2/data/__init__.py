"""Data: image files and pixels, the course's digit domains (both layouts) and their tensor caches, the
face images and their cache, the domain-adaptation scenarios, and the demo data drawn when no course data
is given (``demo``)."""
