from . import listing

print(listing())
