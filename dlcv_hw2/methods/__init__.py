"""Methods: training, loading and sampling of the DDPM, DDIM on the face UNet, the ACGAN, the face GANs and
the domain-adaptation classifiers; the pieces every training loop shares (training.py, with the one GAN
loop and the one checkpoint loader); one registry per family: FACE_GANS (face_gan.py), DIGIT_GENERATORS
(generators.py), UDA_METHODS (uda.py)."""
