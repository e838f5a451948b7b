from .roles import Role, user_roles


def roles(request) -> dict:
    user_role_set = user_roles(request.user) if hasattr(request, "user") else frozenset()
    return {
        "user_roles": user_role_set,
        "user_role_labels": [r.label for r in Role if r in user_role_set],
        "is_office": Role.OFFICE in user_role_set,
    }
