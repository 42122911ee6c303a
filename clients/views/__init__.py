"""The clients app's views, one module per subject: profile, find, sensitive information, sessions."""
