"""Networks only: the digit diffusion UNet, the course's face UNet, the DANN and DSN digit classifiers, the
ACGAN, the face GANs' generator and discriminator family, the course's digit classifier."""
