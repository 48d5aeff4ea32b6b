// Members and invitations: who belongs to the org with which role, and links that let others join.
import { listInvitations, listMembers } from '@pallet/core';
import { ConfirmAction } from '@/components/confirm-action';
import { formatDate } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Card, CardBody, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Table, Td, Th } from '@/components/ui/table';
import { dashboardActor, load, loadOr404 } from '../../../_lib/dashboard';
import { removeMemberAction, revokeInvitationAction } from './actions';
import { InviteForm } from './invite-form';
import { RoleForm } from './role-form';

export const metadata = { title: 'Members' };

const ROLE_TEXT: Record<string, string> = {
  owner: 'everything, including owners',
  admin: 'everything but owners',
  publisher: 'upload and delete packages',
  viewer: 'read only',
};

export default async function MembersPage({ params }: { params: Promise<{ org: string }> }) {
  const { org } = await params;
  const actor = await dashboardActor();
  const members = await loadOr404((core, a) => listMembers(core, a, org));
  // Only owners and admins manage members; for others the invitations read answers Forbidden.
  const invitations = await load((core, a) => listInvitations(core, a, org));
  const manager = invitations.ok;
  const me = members.find((m) => actor.kind === 'user' && m.userId === actor.userId);
  const isOwner = me?.role === 'owner';
  return (
    <>
      <PageHeader
        title="Members"
        description="Owners and admins manage the org; publishers upload and delete packages; viewers read."
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem] lg:items-start">
        <div className="min-w-0 space-y-6">
          <Card>
            <CardHeader
              title="Members"
              description={`${members.length} member${members.length === 1 ? '' : 's'}`}
            />
            <Table label="Members">
              <thead>
                <tr>
                  <Th>Member</Th>
                  <Th>Role</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => {
                  const self = m.userId === me?.userId;
                  return (
                    <tr key={m.userId}>
                      <Td>
                        <div className="font-medium text-slate-900">
                          {m.email}{' '}
                          {self ? <span className="text-xs font-normal text-slate-600">(you)</span> : null}
                        </div>
                        <div className="text-xs text-slate-600">joined {formatDate(m.joinedAt)}</div>
                      </Td>
                      <Td>
                        {manager && (isOwner || m.role !== 'owner') ? (
                          <RoleForm org={org} userId={m.userId} email={m.email} role={m.role} />
                        ) : (
                          <>
                            <Badge>{m.role}</Badge>
                            <div className="mt-1 text-xs text-slate-600">{ROLE_TEXT[m.role]}</div>
                          </>
                        )}
                      </Td>
                      <Td className="text-right">
                        {self || (manager && (isOwner || m.role !== 'owner')) ? (
                          <ConfirmAction
                            trigger={self ? 'Leave' : 'Remove'}
                            triggerLabel={self ? 'Leave this org' : `Remove ${m.email}`}
                            title={self ? `Leave ${org}?` : `Remove ${m.email}?`}
                            description={
                              self
                                ? 'You lose access to its repositories at once. The last owner cannot leave.'
                                : 'They lose access to the org’s repositories at once.'
                            }
                            confirmLabel={self ? 'Leave org' : 'Remove member'}
                            action={removeMemberAction.bind(null, org, m.userId)}
                          />
                        ) : null}
                      </Td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          </Card>
          {manager ? (
            <Card>
              <CardHeader title="Invitations" />
              {invitations.data.length === 0 ? (
                <EmptyState title="No invitations yet">
                  Create an invitation link and send it to a colleague; they join with the role you choose.
                </EmptyState>
              ) : (
                <Table label="Invitations">
                  <thead>
                    <tr>
                      <Th>For</Th>
                      <Th>Role</Th>
                      <Th>Status</Th>
                      <Th>
                        <span className="sr-only">Actions</span>
                      </Th>
                    </tr>
                  </thead>
                  <tbody>
                    {invitations.data.map((i) => (
                      <tr key={i.id}>
                        <Td>
                          {i.email ?? <span className="text-slate-700">anyone with the link</span>}
                          <div className="text-xs text-slate-600">created {formatDate(i.createdAt)}</div>
                        </Td>
                        <Td>{i.role}</Td>
                        <Td>
                          <Badge
                            tone={
                              i.status === 'pending'
                                ? 'warning'
                                : i.status === 'accepted'
                                  ? 'success'
                                  : 'neutral'
                            }
                          >
                            {i.status}
                          </Badge>
                          {i.status === 'pending' ? (
                            <div className="mt-1 text-xs text-slate-600">until {formatDate(i.expiresAt)}</div>
                          ) : null}
                        </Td>
                        <Td className="text-right">
                          {i.status === 'pending' ? (
                            <ConfirmAction
                              trigger="Revoke"
                              triggerLabel={`Revoke invitation for ${i.email ?? 'anyone with the link'}`}
                              title="Revoke this invitation?"
                              description="The link stops working at once."
                              confirmLabel="Revoke invitation"
                              action={revokeInvitationAction.bind(null, org, i.id)}
                            />
                          ) : null}
                        </Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
              )}
            </Card>
          ) : null}
        </div>
        {manager ? (
          <Card>
            <CardHeader title="Invite someone" />
            <CardBody>
              <InviteForm org={org} canInviteOwner={isOwner} />
            </CardBody>
          </Card>
        ) : null}
      </div>
    </>
  );
}
