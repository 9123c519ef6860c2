"""Noise schedule, DDPM training loss, DDPM ancestral sampling and DDIM sampling.

The schedule and the samplers live apart from any network: a sampler takes a noise-prediction
function ``eps_fn(x, t)`` (``t`` a long tensor of timestep indices), so the same code drives the
course's face UNet and the digit model with its label and guidance.

Timestep convention: index ``t`` in 0..T-1 addresses ``alpha_bar[t] = prod_{s<=t} (1 - beta_s)``;
the network sees the same integer index.  Coefficients are computed in float64 and cast to the
sample's dtype right before they touch it.
"""

from dataclasses import dataclass
from typing import Callable, Optional

import torch

EpsFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def linear_betas(T: int = 1000, beta_start: float = 1e-4, beta_end: float = 2e-2) -> torch.Tensor:
    """The course template's ``beta_scheduler``: linspace(beta_start, beta_end, T) in float64."""
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64)


@dataclass
class Schedule:
    betas: torch.Tensor  # float64 [T]

    def __post_init__(self):
        self.alphas = 1.0 - self.betas
        self.alpha_bar = torch.cumprod(self.alphas, dim=0)
        self.alpha_bar_prev = torch.cat([torch.ones(1, dtype=torch.float64), self.alpha_bar[:-1]])
        # DDPM posterior q(x_{t-1} | x_t, x_0) = N(mean_coef0 * x_0 + mean_coef_t * x_t, beta_tilde)
        # (Ho et al. eq. 6-7)
        self.posterior_variance = self.betas * (1.0 - self.alpha_bar_prev) / (1.0 - self.alpha_bar)
        self.posterior_mean_coef0 = self.betas * self.alpha_bar_prev.sqrt() / (1.0 - self.alpha_bar)
        self.posterior_mean_coef_t = (1.0 - self.alpha_bar_prev) * self.alphas.sqrt() / (1.0 - self.alpha_bar)

    @classmethod
    def linear(cls, T: int = 1000, beta_start: float = 1e-4, beta_end: float = 2e-2) -> "Schedule":
        return cls(linear_betas(T, beta_start, beta_end))

    @property
    def T(self) -> int:
        return len(self.betas)

    def at(self, values: torch.Tensor, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
        """values[t] shaped [B, 1, 1, 1] in ``like``'s dtype and device."""
        v = values.to(like.device)[t.to(like.device)]
        return v.to(like.dtype).view(-1, *([1] * (like.ndim - 1)))

    def q_sample(self, x0: torch.Tensor, t: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        """x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps  (Ho et al. eq. 4)."""
        return self.at(self.alpha_bar.sqrt(), t, x0) * x0 + self.at((1 - self.alpha_bar).sqrt(), t, x0) * noise


def denoising_loss(
    model_fn: EpsFn, schedule: Schedule, x0: torch.Tensor, target: str = "noise", generator=None
) -> torch.Tensor:
    """Algorithm 1, one step: draw t and eps, form x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps and regress
    ``model_fn(x_t, t)`` on the ``target``: ``"noise"`` is the DDPM loss || eps - eps_theta(x_t, t) ||^2,
    ``"x0"`` the same with the network predicting the clean image (the samplers get eps back from it)."""
    t = torch.randint(0, schedule.T, (x0.shape[0],), generator=generator).to(x0.device)
    noise = torch.randn(x0.shape, generator=generator).to(x0.device, x0.dtype)
    wanted = {"noise": noise, "x0": x0}[target]
    return torch.nn.functional.mse_loss(model_fn(schedule.q_sample(x0, t, noise), t), wanted)


def _randn(shape, generator, device, dtype):
    """Noise drawn on the CPU from ``generator`` then moved: the same on every device."""
    return torch.randn(shape, generator=generator, dtype=torch.float32).to(device=device, dtype=dtype)


@torch.no_grad()
def ddpm_sample(
    eps_fn: EpsFn,
    x_T: torch.Tensor,
    schedule: Schedule,
    generator=None,
    record: Optional[dict] = None,
    clip_x0: bool = False,
) -> torch.Tensor:
    """Algorithm 2: x_{t-1} = (x_t - (1-alpha_t)/sqrt(1-abar_t) eps) / sqrt(alpha_t) + sigma_t z, sigma_t^2 = beta_t.

    ``record``: a dict whose keys are timestep indices; the sample right after that step
    is stored under it (key -1 after the last step is the final sample; key T holds x_T)."""
    x = x_T
    if record is not None and schedule.T in record:
        record[schedule.T] = x.clone()
    for i in reversed(range(schedule.T)):
        t = torch.full((x.shape[0],), i, dtype=torch.long, device=x.device)
        eps = eps_fn(x, t)
        if clip_x0:
            x0 = (x - schedule.at((1 - schedule.alpha_bar).sqrt(), t, x) * eps) / schedule.at(
                schedule.alpha_bar.sqrt(), t, x
            )
            x0 = x0.clamp(-1, 1)
            mean = (
                schedule.at(schedule.posterior_mean_coef0, t, x) * x0
                + schedule.at(schedule.posterior_mean_coef_t, t, x) * x
            )
        else:
            coef = schedule.betas / (1 - schedule.alpha_bar).sqrt()
            mean = (x - schedule.at(coef, t, x) * eps) / schedule.at(schedule.alphas.sqrt(), t, x)
        if i > 0:
            x = mean + schedule.at(schedule.betas.sqrt(), t, x) * _randn(x.shape, generator, x.device, x.dtype)
        else:
            x = mean
        if record is not None and i in record:
            record[i] = x.clone()
    return x


def ddim_timesteps(T: int, steps: int) -> list:
    """Uniform ("leading") timesteps with offset 1, as the course's ground truth uses:
    T=1000, 50 steps -> [1, 21, ..., 981]. The offset is dropped when it would overflow (steps = T)."""
    if not 1 <= steps <= T:
        raise ValueError(f"DDIM steps must be between 1 and T={T}, got {steps}")
    stride = T // steps
    offset = 1 if stride * (steps - 1) + 1 <= T - 1 else 0
    return [stride * i + offset for i in range(steps)]


@dataclass
class DDIMStep:
    prev_sample: torch.Tensor
    pred_x0: torch.Tensor


def ddim_step(
    schedule: Schedule,
    eps: torch.Tensor,
    t: int,
    t_prev: Optional[int],
    x: torch.Tensor,
    eta: float = 0.0,
    clip_x0: bool = True,
    noise: Optional[torch.Tensor] = None,
) -> DDIMStep:
    """One DDIM update (Song et al. eq. 12) from timestep ``t`` to ``t_prev`` (None: the very end,
    which uses alpha_bar[0] rather than 1, matching the course's ground truth)."""
    abar_t = schedule.alpha_bar[t]
    abar_prev = schedule.alpha_bar[t_prev] if t_prev is not None else schedule.alpha_bar[0]
    pred_x0 = (x - (1 - abar_t).sqrt().item() * eps) / abar_t.sqrt().item()  # eq. 12, "predicted x0"
    if clip_x0:
        pred_x0 = pred_x0.clamp(-1, 1)
    sigma = eta * ((1 - abar_prev) / (1 - abar_t)).sqrt() * (1 - abar_t / abar_prev).sqrt()  # eq. 16
    direction = (1 - abar_prev - sigma**2).clamp(min=0).sqrt()  # "direction pointing to x_t"
    prev = abar_prev.sqrt().item() * pred_x0 + direction.item() * eps
    if eta > 0:
        if noise is None:
            raise ValueError("eta > 0 needs noise")
        prev = prev + sigma.item() * noise
    return DDIMStep(prev, pred_x0)


@torch.no_grad()
def ddim_sample(
    eps_fn: EpsFn,
    x_T: torch.Tensor,
    schedule: Schedule,
    steps: int = 50,
    eta: float = 0.0,
    clip_x0: bool = True,
    generator=None,
    record: Optional[dict] = None,
) -> torch.Tensor:
    """DDIM sampling over ``ddim_timesteps(T, steps)``, visited from the largest down.

    ``record`` works as in :func:`ddpm_sample` (keys are timesteps from the DDIM grid, or -1)."""
    taus = ddim_timesteps(schedule.T, steps)
    x = x_T
    for i in reversed(range(len(taus))):
        t = taus[i]
        t_prev = taus[i - 1] if i > 0 else None
        eps = eps_fn(x, torch.full((x.shape[0],), t, dtype=torch.long, device=x.device))
        noise = _randn(x.shape, generator, x.device, x.dtype) if eta > 0 else None
        x = ddim_step(schedule, eps, t, t_prev, x, eta=eta, clip_x0=clip_x0, noise=noise).prev_sample
        if record is not None and t in record:
            record[t] = x.clone()
    if record is not None and -1 in record:
        record[-1] = x.clone()
    return x


def slerp(x0: torch.Tensor, x1: torch.Tensor, alpha: float) -> torch.Tensor:
    """Spherical linear interpolation of two noises (flattened angle), as in the assignment."""
    a, b = x0.flatten().double(), x1.flatten().double()
    cos = torch.dot(a, b) / (a.norm() * b.norm())
    theta = torch.arccos(cos.clamp(-1.0, 1.0))
    if theta.abs() < 1e-7:
        return lerp(x0, x1, alpha)
    w0 = torch.sin((1 - alpha) * theta) / torch.sin(theta)
    w1 = torch.sin(alpha * theta) / torch.sin(theta)
    return (w0 * x0.double() + w1 * x1.double()).to(x0.dtype)


def lerp(x0: torch.Tensor, x1: torch.Tensor, alpha: float) -> torch.Tensor:
    return (1 - alpha) * x0 + alpha * x1
