"""DiffAugment (dlcv_hw2/methods/diffaugment.py): each augmentation does what it says, draws only from the
generator it is given, and lets gradients through to the generator's images."""

import pytest
import torch
import torch.nn.functional as F

from dlcv_hw2.methods.diffaugment import TRANSLATION, Augmented, augment, color, translation


def _images(n=6, size=16, seed=0):
    return torch.rand((n, 3, size, size), generator=torch.Generator().manual_seed(seed)) * 2 - 1


def _shifted(x, dy, dx):
    """``x`` moved down by dy and right by dx, zeros coming in (the reference of translation)."""
    h, w = x.shape[-2:]
    padded = F.pad(x, (w, w, h, h))
    return padded[..., h - dy : 2 * h - dy, w - dx : 2 * w - dx]


def test_translation_moves_each_image_whole_within_an_eighth_of_its_side():
    x = _images(8, 16)
    out = translation(x, torch.Generator().manual_seed(1))
    s = int(16 * TRANSLATION + 0.5)
    moves = []
    for img, got in zip(x, out):
        found = [
            (dy, dx) for dy in range(-s, s + 1) for dx in range(-s, s + 1) if torch.equal(got, _shifted(img, -dy, -dx))
        ]
        assert len(found) == 1, found  # exactly one shift explains the output
        moves.append(found[0])
    assert len(set(moves)) > 1  # drawn per image
    assert torch.equal(out, translation(x, torch.Generator().manual_seed(1)))  # from the given generator only


def test_color_changes_brightness_saturation_and_contrast_per_image():
    x = _images(64, 8)
    out = color(x, torch.Generator().manual_seed(2))
    assert out.shape == x.shape and not torch.allclose(out, x)
    shift = (out - x).mean(dim=(1, 2, 3))
    assert shift.std() > 0.1  # each image its own brightness (U(-0.5, 0.5) before the rescaling)
    grey = torch.zeros((1, 3, 8, 8))
    assert torch.allclose(color(grey, torch.Generator().manual_seed(3)).std(), torch.tensor(0.0), atol=1e-6)


def test_augment_is_identity_without_a_policy_and_lets_gradients_through():
    x = _images(4, 16).requires_grad_(True)
    assert augment(x, (), torch.Generator()) is x
    y = augment(x, ("color", "translation"), torch.Generator().manual_seed(0))
    y.sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
    disc = torch.nn.Conv2d(3, 1, 16)
    seen = Augmented(disc, ["translation"], torch.Generator().manual_seed(5))(x.detach())
    assert torch.equal(seen, disc(translation(x.detach(), torch.Generator().manual_seed(5))))

    class Conditional(torch.nn.Module):  # the ACGAN's discriminator also takes the labels
        def forward(self, images, labels):
            return images.mean(dim=(1, 2, 3)), labels

    score, labels = Augmented(Conditional(), ["color"], torch.Generator().manual_seed(6))(x.detach(), torch.arange(4))
    assert torch.equal(labels, torch.arange(4)) and score.shape == (4,)


def test_the_policy_is_a_setting_of_every_gan_and_unknown_names_are_refused():
    from dlcv_hw2 import settings

    assert settings.build("sngan").diffaugment == settings.build("acgan").diffaugment == ["color", "translation"]
    assert settings.build("dcgan").diffaugment == [] == settings.build("sagan").diffaugment  # as their papers
    with pytest.raises(settings.ConfigError, match="sngan.diffaugment"):
        settings.build("sngan", {"diffaugment": ["rotate"]})
