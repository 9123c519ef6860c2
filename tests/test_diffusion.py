import math

import pytest
import torch

from dlcv_hw2.methods.diffusion import Schedule, ddim_sample, ddim_step, ddim_timesteps, ddpm_sample, lerp, slerp


def test_schedule_matches_template_and_closed_form():
    s = Schedule.linear(1000)
    assert s.betas.dtype == torch.float64
    assert s.betas[0].item() == pytest.approx(1e-4) and s.betas[-1].item() == pytest.approx(0.02)
    t = 500
    abar = math.prod(1 - (1e-4 + (0.02 - 1e-4) * i / 999) for i in range(t + 1))
    assert s.alpha_bar[t].item() == pytest.approx(abar, rel=1e-12)
    # posterior q(x_{t-1}|x_t,x_0): beta_tilde = (1-abar_{t-1})/(1-abar_t) beta_t (Ho et al. eq. 7)
    assert s.posterior_variance[t].item() == pytest.approx(
        (1 - s.alpha_bar[t - 1].item()) / (1 - abar) * s.betas[t].item(), rel=1e-12
    )
    # the posterior mean equals the Algorithm-2 mean when x0 is the eps-implied one
    x_t, eps = torch.randn(4, dtype=torch.float64), torch.randn(4, dtype=torch.float64)
    x0 = (x_t - (1 - s.alpha_bar[t]).sqrt() * eps) / s.alpha_bar[t].sqrt()
    post = s.posterior_mean_coef0[t] * x0 + s.posterior_mean_coef_t[t] * x_t
    alg2 = (x_t - s.betas[t] / (1 - s.alpha_bar[t]).sqrt() * eps) / s.alphas[t].sqrt()
    assert torch.allclose(post, alg2, atol=1e-12)


def test_ddim_timesteps_follow_course_convention():
    taus = ddim_timesteps(1000, 50)
    assert taus[:3] == [1, 21, 41] and taus[-1] == 981 and len(taus) == 50
    assert ddim_timesteps(10, 10) == list(range(10))
    with pytest.raises(ValueError):
        ddim_timesteps(10, 11)


def test_q_sample_and_ddpm_sampler_are_deterministic():
    s = Schedule.linear(50)
    eps_fn = lambda x, t: 0.1 * x  # noqa: E731
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    a = ddpm_sample(eps_fn, x, s, generator=torch.Generator().manual_seed(5))
    b = ddpm_sample(eps_fn, x, s, generator=torch.Generator().manual_seed(5))
    c = ddpm_sample(eps_fn, x, s, generator=torch.Generator().manual_seed(6))
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_slerp_endpoints_and_norm():
    g = torch.Generator().manual_seed(0)
    x0, x1 = torch.randn(1, 3, 16, 16, generator=g), torch.randn(1, 3, 16, 16, generator=g)
    assert torch.allclose(slerp(x0, x1, 0.0), x0, atol=1e-6)
    assert torch.allclose(slerp(x0, x1, 1.0), x1, atol=1e-6)
    # between two (nearly orthogonal) Gaussian noises slerp keeps the norm, lerp shrinks it
    n0, n1, mid = x0.norm(), x1.norm(), slerp(x0, x1, 0.5).norm()
    assert abs(mid - (n0 + n1) / 2) < 0.05 * n0
    assert lerp(x0, x1, 0.5).norm() < 0.8 * mid
    # unit vectors stay unit vectors along the arc
    u0, u1 = x0 / x0.norm(), x1 / x1.norm()
    for a in (0.1, 0.3, 0.7):
        assert slerp(u0, u1, a).norm().item() == pytest.approx(1.0, abs=1e-5)


class TinyEps(torch.nn.Module):
    """A small deterministic network eps(x, t) for comparing samplers."""

    def __init__(self):
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, x, t):
        return torch.tanh(self.conv(x)) * (1 + t.float()[:, None, None, None] / 1000)


@pytest.mark.parametrize("eta", [0.0, 0.5])
def test_ddim_matches_diffusers(eta):
    diffusers = pytest.importorskip("diffusers")
    sched = diffusers.DDIMScheduler(
        num_train_timesteps=1000,
        beta_start=1e-4,
        beta_end=0.02,
        beta_schedule="linear",
        clip_sample=True,
        set_alpha_to_one=False,
        steps_offset=1,
        timestep_spacing="leading",
    )
    sched.set_timesteps(50)
    assert sched.timesteps.tolist() == list(reversed(ddim_timesteps(1000, 50)))
    net = TinyEps()
    ours = Schedule.linear(1000)
    g = torch.Generator().manual_seed(3)
    x_ref = torch.randn(2, 3, 8, 8, generator=g)
    x = x_ref.clone()
    taus = ddim_timesteps(1000, 50)
    with torch.no_grad():
        for i, t in enumerate(sched.timesteps.tolist()):
            noise = torch.randn(x.shape, generator=g)
            tt = torch.full((2,), t, dtype=torch.long)
            ref = sched.step(net(x_ref, tt), t, x_ref, eta=eta, variance_noise=noise if eta > 0 else None)
            x_ref = ref.prev_sample
            k = taus.index(t)
            x = ddim_step(
                ours, net(x, tt), t, taus[k - 1] if k > 0 else None, x, eta=eta, noise=noise if eta > 0 else None
            ).prev_sample
            assert (x - x_ref).abs().max().item() < 1e-4, (i, t)


def test_ddim_sample_uses_the_grid_and_eta_noise():
    s = Schedule.linear(1000)
    seen = []
    eps_fn = lambda x, t: (seen.append(int(t[0])), torch.zeros_like(x))[1]  # noqa: E731
    x = torch.randn(1, 3, 4, 4)
    ddim_sample(eps_fn, x, s, steps=10)
    assert seen == list(reversed(ddim_timesteps(1000, 10)))
    a = ddim_sample(lambda x, t: 0.1 * x, x, s, steps=10, eta=1.0, generator=torch.Generator().manual_seed(0))
    b = ddim_sample(lambda x, t: 0.1 * x, x, s, steps=10, eta=1.0, generator=torch.Generator().manual_seed(1))
    c = ddim_sample(lambda x, t: 0.1 * x, x, s, steps=10, eta=0.0)
    d = ddim_sample(lambda x, t: 0.1 * x, x, s, steps=10, eta=0.0)
    assert not torch.equal(a, b) and torch.equal(c, d)
