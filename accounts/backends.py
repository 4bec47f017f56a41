"""The authentication backend of the portal: Django's ``ModelBackend``, with
``user.has_perm`` answered from the role table first.

A role is a Django group holding exactly the permissions :data:`accounts.roles.ROLE_PERMISSIONS`
lists (:func:`accounts.roles.sync_role_groups` runs after every ``migrate``), so the table
gives the same answer as the database, from the roles cached on the user: one query for
the user's groups instead of Django's two for all their permissions, on every page and
API call. What the table does not grant is asked of ``ModelBackend`` (a permission given
to one user in the admin); passwords, sessions and the admin's module permissions are
``ModelBackend``'s as before.
"""

from django.contrib.auth.backends import ModelBackend

from accounts.roles import role_grants


class RoleBackend(ModelBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return (obj is None and role_grants(user_obj, perm)) or super().has_perm(user_obj, perm, obj)
