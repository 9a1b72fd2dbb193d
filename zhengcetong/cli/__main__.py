"""``python -m zhengcetong.cli`` runs the zct command."""

from zhengcetong.cli import main

main()
