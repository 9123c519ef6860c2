"""The demo domains: digit domains in the course's layouts (MNIST-M-, SVHN- and USPS-like) and portraits
for the face GANs, each a pure function of a seed."""
