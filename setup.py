from setuptools import find_packages, setup

setup(
    name="slurmrestd-py",
    version="0.1.0",
    description="Slurm's REST API (slurmrestd v0.0.38) served by Python over libslurm",
    license="GPL-2.0-or-later",
    packages=find_packages(include=["slurmrestd_py", "slurmrestd_py.*"]),
    python_requires=">=3.11",
    setup_requires=["cffi>=1.15"],
    cffi_modules=["slurmrestd_py/slurm/_build.py:ffibuilder"],
    install_requires=["h11>=0.14", "pyjwt>=2.6", "pyyaml>=6.0", "cffi>=1.15"],
    entry_points={"console_scripts": ["slurmrestd-py = slurmrestd_py.cli:run"]},
    classifiers=["License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)"],
)
