from flask import Blueprint

blueprint = Blueprint("books", __name__)
