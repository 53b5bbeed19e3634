"""The model's qualification exam: does its prose earn a place in the replies?"""
