from commdata.cli.group import main

main()
