"""Source of "liar" classes that fixture submissions hand in (tests/fixtures/*.py).

Each fake_equality fixture defines one of these in an answer cell and returns an instance
where a number or string is expected. They claim to equal (and to lie close to) everything,
so a plain ``==`` or ``abs(a - b) < tol`` test passes; ``raikit.checks`` and the sandbox's
plain-data codec must give them nothing.
"""

FAKE_NUMBER = '''
class Whatever(float):
    """A number that claims to equal, and lie close to, everything."""
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __lt__(self, other):
        return True
    def __le__(self, other):
        return True
    def __gt__(self, other):
        return True
    def __ge__(self, other):
        return True
    def __sub__(self, other):
        return Whatever(0.0)
    def __rsub__(self, other):
        return Whatever(0.0)
    def __abs__(self):
        return Whatever(0.0)
    def __hash__(self):
        return 0
'''

FAKE_STR = '''
class Anything(str):
    """A string that claims to equal every other string."""
    def __eq__(self, other):
        return True
    def __ne__(self, other):
        return False
    def __hash__(self):
        return 0
'''
