"""Rules for administration: invites and their activation mail, the user lifecycle, the audit log.

Who may do what (the reference's Roles table, DESIGN.md "Roles"):
- `user`: no administration at all (403).
- `customer_admin`: sees only the invites they made and the users they invited, may invite only
  `user`s, and may disable, enable and delete only their own invitees.
- `site_admin`: sees and may do everything.
Nobody may disable or delete themselves (409), so a site has an active site_admin for good.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from mockhub.errors import Conflict, Forbidden, Invalid, NotFound
from mockhub.store import models as m
from mockhub.store.accounts import EMAIL, MIN_PASSWORD_LENGTH
from mockhub.store.base import StoreBase, hash_password, reading, transaction

RESERVED_LOGINS = frozenset({"ghost"})  # shown as the author of a purged user's issues
USERNAME_PROBLEM = "Must be 1-39 letters, digits or '-', starting with a letter or digit."
EMAIL_PROBLEM = "Not a valid e-mail address."
ROLE_PROBLEM = f"Must be one of: {', '.join(m.ROLES)}."
MAX_EMAIL_LENGTH = 254
MAX_FULL_NAME_LENGTH = 255
MAX_PASSWORD_LENGTH = 1024


def _invalid(problems: dict[str, str]) -> Invalid:
    """One 422 naming every bad field at once."""
    field, problem = next(iter(problems.items()))
    error = Invalid(field, problem, message=f"Invalid field(s): {', '.join(sorted(problems))}.")
    error.errors = {name: [text] for name, text in problems.items()}
    return error


def activation_link(public_url: str, token: str) -> str:
    return f"{public_url}/activate?token={token}"


class AdminRules(StoreBase):
    if TYPE_CHECKING:  # provided by RepoRules in the composed Store
        def purge_repo(self, repo_id: int) -> None: ...

    # who may administer whom
    def _admin(self, actor_id: int) -> m.User:
        actor = self.user(actor_id)
        if actor.role not in ("customer_admin", "site_admin"):
            raise Forbidden("Administrator rights required (customer_admin or site_admin).")
        return actor

    def _managed_user(self, actor_id: int, login: str,
                      on_self: str | None) -> tuple[m.User, m.User]:
        """The actor and the user they act on; `on_self` is the 409 message for acting on self.

        Checks in this order: an administrator at all (403), the user exists (404), not oneself
        (409), one's own invitee unless site_admin (403).
        """
        actor = self._admin(actor_id)
        target = self.users.find("login", login.lower())
        if target is None:
            raise NotFound(f"No user '{login}'.")
        if target.id == actor.id and on_self:
            raise Conflict(on_self)
        if actor.role != "site_admin" and target.invited_by_id != actor.id:
            raise Forbidden("A customer_admin may administer only the users they invited.")
        return actor, target

    # invites
    @reading
    def list_invites(self, actor_id: int) -> list[m.Invite]:
        actor = self._admin(actor_id)
        if actor.role == "site_admin":
            return sorted(self.invites, key=lambda i: i.id)
        return self.invites.group("inviter", actor.id)

    @transaction
    def create_invite(self, actor_id: int, username: str, email: str, role: str = "user",
                      full_name: str = "") -> m.Invite:
        """A pending invite with a fresh token, and its activation mail in the outbox.

        Inviting exactly the same person again (same username and e-mail) while their invite is
        pending replaces it, as a "resend": the old token stops working and a new mail goes out.
        Any other clash with a user or a pending invite is a 409.
        """
        actor = self._admin(actor_id)
        problems: dict[str, str] = {}
        if not m.LOGIN.match(username):
            problems["username"] = USERNAME_PROBLEM
        if len(email) > MAX_EMAIL_LENGTH or not EMAIL.match(email):
            problems["email"] = EMAIL_PROBLEM
        if role not in m.ROLES:
            problems["role"] = ROLE_PROBLEM
        if len(full_name) > MAX_FULL_NAME_LENGTH:
            problems["fullName"] = f"Must be at most {MAX_FULL_NAME_LENGTH} characters."
        if problems:
            raise _invalid(problems)
        if actor.role != "site_admin" and role != "user":
            raise Forbidden("A customer_admin may invite only users (role 'user').",
                            {"role": ["Only 'user' is allowed for a customer_admin."]})
        if self.users.find("login", username.lower()) or username.lower() in RESERVED_LOGINS:
            raise Conflict(f"The username '{username}' is already taken.",
                           {"username": ["Already taken."]})
        if self.users.find("email", email.lower()):
            raise Conflict("An account already uses this e-mail address.",
                           {"email": ["Already in use."]})
        by_name = self.invites.group("username", (username.lower(), "pending"))
        by_email = self.invites.group("email", (email.lower(), "pending"))
        replaced = [i for i in by_name if i in by_email and (
            actor.role == "site_admin" or i.invited_by_id == actor.id)]
        if [i for i in by_name if i not in replaced]:
            raise Conflict(f"A pending invite already uses the username '{username}'.",
                           {"username": ["A pending invite already uses it."]})
        if [i for i in by_email if i not in replaced]:
            raise Conflict("A pending invite already uses this e-mail address.",
                           {"email": ["A pending invite already uses it."]})
        for old in replaced:
            self.invites.put(replace(old, status="revoked"))
            self.audit(actor.login, "invite_revoked", old.username)
        token = self.new_token(self.invites, "token")
        invite = self.invites.put(m.Invite(
            id=self.next_id(self.invites), username=username, email=email, role=role,
            invited_by_id=actor.id, token=token, created_at=self.now(), full_name=full_name))
        self.queue_activation_mail(invite)
        self.audit(actor.login, "invite_created", f"{username} ({role})")
        return invite

    def queue_activation_mail(self, invite: m.Invite) -> m.Email:
        """Put the invite's activation mail (in Swedish, like the real service) in the outbox."""
        inviter = self.users.get(invite.invited_by_id)
        who = f"{inviter.full_name} ({inviter.login})" if inviter else "En administratör"
        link = activation_link(self.public_url, invite.token)
        body = (
            f"Hej {invite.full_name or invite.username}!\n\n"
            f"{who} har bjudit in dig till NoackHub med användarnamnet {invite.username}.\n\n"
            "Aktivera ditt konto och välj ett lösenord här:\n"
            f"{link}\n\n"
            "Länken kan bara användas en gång. Om du inte väntade dig det här mejlet kan du "
            "bortse från det.\n\n"
            "Hälsningar\nNoackHub\n")
        return self.emails.put(m.Email(
            id=self.next_id(self.emails), to=invite.email,
            subject="Aktivera ditt konto på NoackHub", body=body, created_at=invite.created_at,
            invite_id=invite.id))

    @transaction
    def activate_invite(self, token: str, password: str) -> m.User:
        """Create the invited user with the chosen password; the invite becomes accepted."""
        invite = self.invites.find("token", token)
        if invite is None:
            raise NotFound("No invite with this token.")
        if invite.status == "accepted":
            raise Conflict("This invite has already been used.")
        if invite.status != "pending":
            raise Conflict("This invite was revoked; use the link in the newest mail.")
        if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
            raise Invalid("password", f"Must be at least {MIN_PASSWORD_LENGTH} characters.")
        if len(password) > MAX_PASSWORD_LENGTH:
            raise Invalid("password", f"Must be at most {MAX_PASSWORD_LENGTH} characters.")
        if self.users.find("login", invite.username.lower()):
            raise Conflict(f"The username '{invite.username}' has been taken meanwhile.")
        if self.users.find("email", invite.email.lower()):
            raise Conflict("Another account uses this e-mail address meanwhile.")
        now = self.now()
        user_id = self.next_id(self.users)
        user = self.users.put(m.User(
            id=user_id, login=invite.username, email=invite.email,
            full_name=invite.full_name or invite.username, role=invite.role,
            password_hash=hash_password(user_id, password), created_at=now,
            invited_by_id=invite.invited_by_id, activated_at=now))
        self.invites.put(replace(invite, status="accepted", accepted_at=now))
        self.audit(user.login, "user_activated", user.login)
        return user

    # users
    @reading
    def list_users(self, actor_id: int) -> list[m.User]:
        actor = self._admin(actor_id)
        if actor.role == "site_admin":
            return sorted(self.users, key=lambda u: u.id)
        return self.users.group("invited_by", actor.id)

    @transaction
    def disable_user(self, actor_id: int, login: str) -> None:
        """Block login and revoke every token at once; disabling twice is harmless."""
        actor, target = self._managed_user(actor_id, login, "You cannot disable yourself.")
        self.revoke_tokens(target.id)
        if target.active:
            self.users.put(replace(target, active=False))
            self.audit(actor.login, "user_disabled", target.login)

    @transaction
    def enable_user(self, actor_id: int, login: str) -> None:
        """Allow login again (with a new token: disabling revoked the old ones)."""
        actor, target = self._managed_user(actor_id, login, None)
        if not target.active:
            self.users.put(replace(target, active=True))
            self.audit(actor.login, "user_enabled", target.login)

    @transaction
    def purge_user(self, actor_id: int, login: str) -> None:
        """Delete a user and everything that is theirs; their words elsewhere stay, by ghost."""
        actor, target = self._managed_user(actor_id, login, "You cannot delete yourself.")
        uid = target.id
        self.revoke_tokens(uid)
        for key in self.keys.group("user", uid):
            self.keys.delete(key.id)
        for repo in self.repos.group("owner", uid):
            self.purge_repo(repo.id)
        for membership in self.collaborators.group("user", uid):
            self.collaborators.delete(membership.id)
        # what they wrote on other people's repos stays, authored by ghost
        for issue in self.issues.group("user", uid):
            self.issues.put(replace(issue, user_id=m.GHOST_ID))
        for pull in self.pulls.group("user", uid):
            self.pulls.put(replace(pull, user_id=m.GHOST_ID))
        for comment in self.comments.group("user", uid):
            self.comments.put(replace(comment, user_id=m.GHOST_ID))
        for commit in self.commits.group("author_email", target.email.lower()):
            self.commits.put(replace(commit, author_name="ghost", author_email=""))
        # invites they made or received, and the mail about them
        invites = {i.id: i for i in self.invites.group("inviter", uid)}
        for status in m.INVITE_STATUSES:
            for invite in (*self.invites.group("username", (target.login.lower(), status)),
                           *self.invites.group("email", (target.email.lower(), status))):
                invites[invite.id] = invite
        for invite_id in invites:
            for mail in self.emails.group("invite", invite_id):
                self.emails.delete(mail.id)
            self.invites.delete(invite_id)
        for mail in self.emails.group("to", target.email.lower()):
            self.emails.delete(mail.id)
        # the users they invited stay, invited by nobody any more
        for invitee in self.users.group("invited_by", uid):
            self.users.put(replace(invitee, invited_by_id=None))
        self.users.delete(uid)
        self.audit(actor.login, "user_purged", target.login)

    # control plane: the outbox and the audit log
    @reading
    def outbox(self, to: str | None = None) -> list[tuple[m.Email, m.Invite | None]]:
        """Sent mail, oldest first, each with the invite it is about (if any)."""
        mails = (self.emails.group("to", to.lower()) if to is not None
                 else sorted(self.emails, key=lambda e: e.id))
        return [(mail, self.invites.get(mail.invite_id) if mail.invite_id is not None else None)
                for mail in mails]

    @reading
    def audit_log(self, actor: str | None = None,
                  action: str | None = None) -> list[m.AuditEvent]:
        return [event for event in sorted(self.audit_events, key=lambda e: e.id)
                if (actor is None or event.actor == actor)
                and (action is None or event.action == action)]
