"""Settings are defined once (dlcv_hw2/config.schema.yaml): every key reaches the library's settings
object, the command lines are generated from the schema, no script states a default of its own, and a
rule hands its config section over whole."""

import ast
import dataclasses
import json
import os
import shlex
import subprocess
import sys

import pytest
from conftest import REPO, SCRIPTS, assert_one_line_error, load_script, run_script

from dlcv_hw2 import settings

SECTIONS = ("ddpm", "ddpm_sampling", "acgan", "generative_metrics", "eval_classifier", "dann", "tsne")


def another_value(prop: dict):
    """A valid value of a setting that differs from its default."""
    spec = settings._resolve(prop)
    default = prop["default"]
    if "enum" in spec:
        return next(v for v in spec["enum"] if v != default)
    kind = spec["type"]
    if kind == "boolean":
        return not default
    if kind == "integer":
        return default + 1
    if kind == "number":
        return default * 0.5 if default > 0 else 0.5
    if kind == "array":
        items = spec.get("items", {})
        if "enum" in items:  # a list of choices: one more of them, or one fewer when it holds them all
            more = [v for v in items["enum"] if v not in default]
            return default + more[:1] if more else default[:-1]
        if len(default) < spec.get("maxItems", len(default) + 1):
            return default + [max(default) + 1]
        return [v * 0.5 for v in default] if items.get("type") == "number" else list(reversed(default))
    raise AssertionError(f"no other value for {prop}")


@pytest.mark.parametrize("section", SECTIONS)
def test_every_key_reaches_the_settings_object(section):
    props = settings.properties(settings.section_schema(section))
    values = {key: another_value(prop) for key, prop in props.items()}
    obj = settings.build(section, values)
    assert list(obj.as_dict()) == list(props)  # every key, in the schema's order
    for key, value in values.items():
        got = getattr(obj, key)
        assert got == value and got != props[key]["default"], key
        assert isinstance(got, settings._PY_TYPES[settings._resolve(props[key])["type"]]), key
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, next(iter(props)), None)


def test_defaults_are_the_schemas_and_numbers_take_the_schemas_type():
    ddpm = settings.build("ddpm")
    assert ddpm.epochs == settings.default("ddpm", "epochs") and isinstance(ddpm.lr, float)
    sampling = settings.build("ddpm_sampling", {"guidance": 2, "guidance_sweep": [0, 2]})
    assert sampling.guidance == 2.0 and isinstance(sampling.guidance, float)
    assert all(isinstance(w, float) for w in sampling.guidance_sweep)
    # the evaluation classifier shares the classifier-training definition; only DANN plans seeds
    assert "seeds" in settings.build("dann").as_dict() and "seeds" not in settings.build("eval_classifier").as_dict()
    assert "seeds" not in settings.build("dann").as_dict(workflow=False)


@pytest.mark.parametrize(
    "section, values, fragment",
    [
        ("ddpm", {"epochs": 0}, "invalid setting ddpm.epochs: 0 is less than the minimum of 1"),
        ("ddpm", {"epoch": 3}, "'epoch' was unexpected"),
        ("ddpm", {"patch": 3}, "invalid setting ddpm.patch: 3 is not one of [1, 2, 4]"),
        ("ddpm", {"beta_start": 0.5}, "ddpm.beta_start (0.5) must be below ddpm.beta_end (0.02)"),
        ("dann", {"zoom": [1.2, 1.0]}, "dann.zoom: lo (1.2) is above hi (1.0)"),
        ("dann", {"seeds": [0, 0]}, "invalid setting dann.seeds"),
        ("eval_classifier", {"seeds": [1]}, "'seeds' was unexpected"),
        ("tsne", {"perplexity": "high"}, "invalid setting tsne.perplexity: 'high' is not of type 'number'"),
    ],
)
def test_a_bad_setting_is_named(section, values, fragment):
    with pytest.raises(settings.ConfigError) as err:
        settings.build(section, values)
    assert fragment in str(err.value)


def test_the_checkpoint_settings_groups():
    """A DDPM checkpoint carries the model and schedule settings, an exported one the grading ones."""
    from dlcv_hw2.methods.ddpm import model_settings

    carried = model_settings(settings.build("ddpm"))
    assert list(carried) == [
        "base_channels",
        "channel_mults",
        "num_res_blocks",
        "attention",
        "dropout",
        "patch",
        "scale_shift",
        "prediction",
        "T",
        "beta_start",
        "beta_end",
    ]
    assert list(settings.build("ddpm_sampling").as_dict(group="grading")) == ["sampler", "steps", "guidance"]


# ------------------------------------------------------------------------------------ command lines
SETTINGS_SCRIPTS = {
    "train_ddpm": ["ddpm"],
    "train_dann": ["dann"],
    "sample_ddpm": ["ddpm_sampling"],
    "export_checkpoint": ["ddpm_sampling"],
    "ddpm_sweep": ["ddpm_sampling"],
    "ddpm_figures": ["ddpm_sampling"],
    "tsne": ["tsne"],
    "train_acgan": ["acgan"],
}


def all_setting_names():
    names = set(settings.schema()["properties"]) - {"presets"}
    for section in SECTIONS + ("split_sizes",):
        names |= set(settings.properties(settings.section_schema(section)))
    return names


# Options that share a setting's name but are something else, with why.
NOT_SETTINGS = {
    "--batch-size": "images per forward pass at inference (sample_ddpm, evaluate_digits, predict_dann, ddim_faces)",
}


def test_no_script_states_a_default_of_a_setting():
    """No script gives an option named after a setting a literal default: setting options come from
    dlcv_hw2.settings with the schema's default (or a named library constant, e.g. faces.DDIM_STEPS)."""
    names = all_setting_names()
    offenders = []
    for name in sorted(os.listdir(SCRIPTS)):
        if not name.endswith(".py"):
            continue
        tree = ast.parse(open(os.path.join(SCRIPTS, name)).read())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add_argument" and node.args:
                flag = node.args[0]
                literal = any(
                    k.arg == "default" and isinstance(k.value, ast.Constant) and k.value.value is not None
                    for k in node.keywords
                )
                if (
                    isinstance(flag, ast.Constant)
                    and flag.value.lstrip("-").replace("-", "_") in names
                    and literal
                    and flag.value not in NOT_SETTINGS
                ):
                    offenders.append(f"{name}: {flag.value}")
    assert not offenders, offenders


@pytest.mark.parametrize("script, sections", SETTINGS_SCRIPTS.items())
def test_script_options_come_from_the_schema(script, sections):
    parser = load_script(script).build_parser()
    text = parser.format_help()
    for section in sections:
        for key, prop in settings.properties(settings.section_schema(section)).items():
            if prop.get("x-workflow"):
                continue
            flag = f"--{key.replace('_', '-')}"
            assert flag in text, (script, flag)
            assert f"(default: {json.dumps(prop['default'])})" in " ".join(text.split()), (script, key)
    args = parser.parse_args(required_args(parser))
    for section in sections:  # nothing given: the schema's defaults
        assert settings.from_args(args, section) == settings.build(section)


@pytest.mark.parametrize("method", ["dcgan", "wgan_gp", "sagan"])
def test_face_gan_options_are_the_methods_own(method):
    """train_face_gan.py's options are those of the settings section its method names."""
    parser = load_script("train_face_gan").build_parser(method)
    text = " ".join(parser.format_help().split())
    for key, prop in settings.properties(settings.section_schema(method)).items():
        assert f"--{key.replace('_', '-')} " in text and f"(default: {json.dumps(prop['default'])})" in text, key
    assert ("--n-critic" in text) == (method == "wgan_gp")
    args = parser.parse_args([method, "--cache", "c", "--model", "m", "--state", "s", "--loss-csv", "l"])
    assert settings.from_args(args, method) == settings.build(method)


def required_args(parser):
    out = []
    for action in parser._actions:
        if action.required:
            value = action.choices[0] if action.choices else "x"
            out += [action.option_strings[0], value] if action.option_strings else [value]
    return out


def test_settings_option_and_single_options_combine(tmp_path):
    parser = load_script("train_ddpm").build_parser()
    base = required_args(parser)
    args = parser.parse_args(base + ["--settings", json.dumps({"epochs": 5, "patch": 2}), "--epochs", "7"])
    cfg = settings.from_args(args, "ddpm")
    assert (cfg.epochs, cfg.patch, cfg.base_channels) == (7, 2, settings.default("ddpm", "base_channels"))


@pytest.mark.parametrize(
    "given, fragment",
    [
        ('{"epochs": 0}', "invalid setting ddpm.epochs: 0 is less than the minimum of 1"),
        ('{"epochs": 3', "--settings is not JSON"),
        ("[3]", "--settings must be a JSON object"),
        ('{"bogus": 1}', "'bogus' was unexpected"),
    ],
)
def test_bad_settings_option_is_one_line(tmp_path, given, fragment):
    proc = run_script(
        "train_ddpm",
        "--cache",
        tmp_path / "none.pt",
        "--model",
        tmp_path / "m.pt",
        "--state",
        tmp_path / "s.pt",
        "--loss-csv",
        tmp_path / "l.csv",
        "--settings",
        given,
    )
    assert_one_line_error(proc, fragment)
    assert not os.listdir(tmp_path)


def test_help_is_generated_from_the_schema():
    proc = run_script("train_dann", "--help")
    assert proc.returncode == 0
    description = settings.properties(settings.section_schema("dann"))["target_entropy"]["description"]
    assert " ".join(description.split()[:6]) in " ".join(proc.stdout.split())


# ----------------------------------------------------------------------------------------- the rules
def dry_run_commands(tmp_path, config: dict):
    import yaml

    snakemake = os.path.join(os.path.dirname(sys.executable), "snakemake")
    (tmp_path / "my.yaml").write_text(yaml.safe_dump(config))
    cmd = [
        snakemake,
        "-n",
        "-p",
        "--forceall",
        "results/ddpm/model.pt",
        "results/dann_usps/dann/seed0/model.pt",
        "-s",
        os.path.join(REPO, "Snakefile"),
        "-d",
        str(tmp_path),
        "--configfile",
        str(tmp_path / "my.yaml"),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return [line.strip() for line in proc.stdout.splitlines() if "workflow/scripts/train_" in line]


def settings_of(command: str) -> dict:
    words = shlex.split(command)
    return json.loads(words[words.index("--settings") + 1])


def test_a_rule_hands_its_section_over_whole(tmp_path):
    commands = dry_run_commands(tmp_path, {"presets": {"demo": {"ddpm": {"epochs": 7}, "dann": {"width": 12}}}})
    ddpm = settings_of(next(c for c in commands if "train_ddpm.py" in c))
    assert list(ddpm) == list(settings.properties(settings.section_schema("ddpm")))
    assert ddpm["epochs"] == 7 and ddpm["patch"] == settings.default("ddpm", "patch")
    dann = settings_of(next(c for c in commands if "train_dann.py" in c and "--setting dann" in c))
    run_keys = [k for k, p in settings.properties(settings.section_schema("dann")).items() if not p.get("x-workflow")]
    assert "seeds" not in run_keys and "methods" not in run_keys  # the plan of runs is the workflow's, not a run's
    assert list(dann) == run_keys
    assert dann["width"] == 12 and dann["bn_per_domain"] is True  # the demo preset's recipe, from config.yaml
    assert settings.build("dann", dann).width == 12


@pytest.mark.parametrize(
    "preset, fragment",
    [
        ({"ddpm": {"epochs": 0}}, "invalid config key presets.demo.ddpm.epochs: 0 is less than the minimum of 1"),
        ({"dann": {"width": "wide"}}, "invalid config key presets.demo.dann.width: 'wide' is not of type 'integer'"),
        ({"dann": {"zoom": [1.3, 1.0]}}, "presets.demo.dann.zoom: lo (1.3) is above hi (1.0)"),
        ({"eval_classifier": {"seeds": [0]}}, "'seeds' was unexpected"),
    ],
)
def test_a_bad_preset_key_is_named(tmp_path, preset, fragment):
    import yaml

    snakemake = os.path.join(os.path.dirname(sys.executable), "snakemake")
    (tmp_path / "my.yaml").write_text(yaml.safe_dump({"presets": {"demo": preset}}))
    proc = subprocess.run(
        [
            snakemake,
            "-n",
            "-s",
            os.path.join(REPO, "Snakefile"),
            "-d",
            str(tmp_path),
            "--configfile",
            str(tmp_path / "my.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode != 0
    assert fragment in proc.stdout + proc.stderr


@pytest.mark.parametrize(
    "device, driver_present, expected",
    [
        ("cpu", True, 0),
        ("cuda", False, 1),
        ("cuda:1", False, 1),
        ("auto", True, 1),
        ("auto", False, 0),
    ],
)
def test_the_gpu_resource_follows_the_device_setting(tmp_path, device, driver_present, expected):
    driver = tmp_path / "version"
    if driver_present:
        driver.write_text("NVRM version: stand-in\n")
    assert settings.gpu_resource(device, driver_files=(str(driver), str(tmp_path / "kfd"))) == expected
