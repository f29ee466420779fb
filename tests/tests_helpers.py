"""Values shared by several test modules."""

NEW_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG2mkGqGB3l+JrU7Ac0ZmNkT2A2LUuj0oDQ1LzQnbDrS "
           "bob@desk")
