"""Build the site: `python build.py [OPTIONS]` is `sokhcn-site build [OPTIONS]`."""

import sys

from sokhcn_site.cli import run_and_exit

if __name__ == "__main__":
    run_and_exit(["build", *sys.argv[1:]])
