"""Networks: the digit diffusion UNet, the course's face UNet, the DANN digit classifier."""
