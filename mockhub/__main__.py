from mockhub.cli import main

main()
