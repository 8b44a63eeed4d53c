from assets.cli import console

console()
