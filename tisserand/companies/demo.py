def seed(stdout):
    stdout.write("  à venir")
