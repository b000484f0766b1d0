from bot.shell.cli import main

main(prog_name="commitment-bot")
