"""Library behind the NTU DLCV Fall 2023 HW2 pipeline: data, models, diffusion, DANN, evaluation."""
