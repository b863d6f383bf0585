"""Build the site: `python build.py [OPTIONS]` is `sokhcn-site build [OPTIONS]`."""

import sys

from sokhcn_site.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
