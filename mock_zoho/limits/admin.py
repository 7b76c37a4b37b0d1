def register(bp) -> None:
    pass
