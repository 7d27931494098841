"""The six official languages of the United Nations, and names of States in each."""
