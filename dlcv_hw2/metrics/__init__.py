"""Metrics: FID, IS and KID by torch-fidelity (Inception, digit features, face embeddings), the 2022
face-detection rate, and digit accuracy by the course's classifier or the workflow's own."""
