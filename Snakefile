# DLCV HW2 as one workflow: data -> training -> sampling / prediction -> evaluation -> report; the Fall 2023
# homework by default, 2022's or 2021's with `--config assignment=2022` (or 2021), every year with all_years.
# Default target: `all`. Every setting is defined in dlcv_hw2/config.schema.yaml; config.yaml holds
# the presets (what each changes from the defaults).
from snakemake.utils import min_version

from dlcv_hw2.settings import resolve_config

min_version("9.0")

# The schema's defaults, then config.yaml beside this file, then --configfile files and --config values,
# merged key by key (a partial preset keeps the other keys), wherever the workflow runs (-d elsewhere
# too); a wrong key or value stops here with one line naming it.
resolve_config(config, f"{workflow.basedir}/config.yaml")


report: "report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/evaluation.smk"
include: "workflow/rules/ddpm.smk"
include: "workflow/rules/acgan.smk"
include: "workflow/rules/ddim.smk"
include: "workflow/rules/dann.smk"
include: "workflow/rules/face_data.smk"
include: "workflow/rules/face_gan.smk"
include: "workflow/rules/report.smk"
include: "workflow/rules/submission.smk"


rule all:
    """The deliverables of the configured assignment year (2023 by default) and its homework report."""
    default_target: True
    input:
        all_targets,


rule all_years:
    """Every HW2 year's deliverables and homework report (2021, 2022, 2023) in one run."""
    input:
        all_years_targets,


rule face_gans:
    """Every face GAN trained, sampled, scored and compared, beside the real faces' own detection rate and
    FID; their report; the graded generator exported for the problem-1 grading scripts."""
    input:
        rules.face_data.input,
        rules.compare_face_gans.output,
        rules.face_gan_report.output,
        rules.export_face_gan_checkpoint.output,
